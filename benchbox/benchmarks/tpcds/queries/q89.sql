-- TPC-DS Q89 (Appendix B.89): monthly store sales of a year per item category, class, brand and store,
-- for six category / class pairs, where the month deviates more than 10% from the brand's monthly average.
-- @param YEAR 1999 ~ uniform(1998, 2002)
-- @param CATEGORIES ['Books', 'Electronics', 'Sports', 'Men', 'Jewelry', 'Women'] ~ sample(vocab('categories'), 6)
-- @param CAT_A 'Books' ~ CATEGORIES[0]
-- @param CLASS_A 'computers' ~ choice(vocab('category_classes')[CAT_A])
-- @param CAT_B 'Electronics' ~ CATEGORIES[1]
-- @param CLASS_B 'stereo' ~ choice(vocab('category_classes')[CAT_B])
-- @param CAT_C 'Sports' ~ CATEGORIES[2]
-- @param CLASS_C 'football' ~ choice(vocab('category_classes')[CAT_C])
-- @param CAT_D 'Men' ~ CATEGORIES[3]
-- @param CLASS_D 'shirts' ~ choice(vocab('category_classes')[CAT_D])
-- @param CAT_E 'Jewelry' ~ CATEGORIES[4]
-- @param CLASS_E 'birdal' ~ choice(vocab('category_classes')[CAT_E])
-- @param CAT_F 'Women' ~ CATEGORIES[5]
-- @param CLASS_F 'dresses' ~ choice(vocab('category_classes')[CAT_F])
with monthly_sales as (
    select
        i_category,
        i_class,
        i_brand,
        s_store_name,
        s_company_name,
        d_moy,
        sum(ss_sales_price) as sum_sales,
        avg(sum(ss_sales_price)) over (
            partition by i_category, i_brand, s_store_name, s_company_name
        ) as avg_monthly_sales
    from item, store_sales, date_dim, store
    where ss_item_sk = i_item_sk
      and ss_sold_date_sk = d_date_sk
      and ss_store_sk = s_store_sk
      and d_year = ${YEAR}
      and (
            (i_category in ('${CAT_A}', '${CAT_B}', '${CAT_C}')
             and i_class in ('${CLASS_A}', '${CLASS_B}', '${CLASS_C}'))
         or (i_category in ('${CAT_D}', '${CAT_E}', '${CAT_F}')
             and i_class in ('${CLASS_D}', '${CLASS_E}', '${CLASS_F}'))
      )
    group by i_category, i_class, i_brand, s_store_name, s_company_name, d_moy
)
select
    i_category,
    i_class,
    i_brand,
    s_store_name,
    s_company_name,
    d_moy,
    sum_sales,
    avg_monthly_sales
from monthly_sales
where case
        when avg_monthly_sales <> 0 then abs(sum_sales - avg_monthly_sales) / avg_monthly_sales
    end > 0.1
order by sum_sales - avg_monthly_sales, s_store_name
limit 100
