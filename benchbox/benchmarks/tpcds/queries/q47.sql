-- TPC-DS Q47 (Appendix B.47): monthly store sales per item category and brand, store and company in a
-- year that deviate more than 10% from the year's monthly average, with the previous and the next
-- month's sales, largest shortfall first.
-- SELECTONE and SELECTTWO name columns of the monthly sales as v1 (as in the spec's values). The spec's
-- ORDERBY value v1.s_store_name cannot resolve in the final select (from v2) and is not in the
-- template's domain; it is written as s_store_name.
-- @param YEAR 1999 ~ uniform(1999, 2001)
-- @param SELECTONE 'v1.i_category, v1.i_brand, v1.s_store_name, v1.s_company_name' ~ choice(['v1.i_category', 'v1.i_brand', 'v1.i_category, v1.i_brand', 'v1.s_store_name', 'v1.s_company_name', 'v1.s_store_name, v1.s_company_name', 'v1.i_category, v1.i_brand, v1.s_store_name, v1.s_company_name'])
-- @param SELECTTWO ',v1.d_year, v1.d_moy' ~ choice([',v1.d_year', ',v1.d_year, v1.d_moy'])
-- @param ORDERBY 's_store_name' ~ choice(['avg_monthly_sales', 'sum_sales', 'psum', 'nsum'])
with monthly_sales as (
    select
        i_category,
        i_brand,
        s_store_name,
        s_company_name,
        d_year,
        d_moy,
        sum(ss_sales_price) as sum_sales,
        avg(sum(ss_sales_price)) over (
            partition by i_category, i_brand, s_store_name, s_company_name, d_year
        ) as avg_monthly_sales,
        rank() over (
            partition by i_category, i_brand, s_store_name, s_company_name
            order by d_year, d_moy
        ) as rn
    from item, store_sales, date_dim, store
    where ss_item_sk = i_item_sk
      and ss_sold_date_sk = d_date_sk
      and ss_store_sk = s_store_sk
      and (d_year = ${YEAR}
           or (d_year = ${YEAR} - 1 and d_moy = 12)
           or (d_year = ${YEAR} + 1 and d_moy = 1))
    group by i_category, i_brand, s_store_name, s_company_name, d_year, d_moy
),
v2 as (
    select
        ${SELECTONE}
        ${SELECTTWO},
        v1.avg_monthly_sales,
        v1.sum_sales,
        prev_month.sum_sales as psum,
        next_month.sum_sales as nsum
    from monthly_sales v1, monthly_sales prev_month, monthly_sales next_month
    where v1.i_category = prev_month.i_category
      and v1.i_category = next_month.i_category
      and v1.i_brand = prev_month.i_brand
      and v1.i_brand = next_month.i_brand
      and v1.s_store_name = prev_month.s_store_name
      and v1.s_store_name = next_month.s_store_name
      and v1.s_company_name = prev_month.s_company_name
      and v1.s_company_name = next_month.s_company_name
      and v1.rn = prev_month.rn + 1
      and v1.rn = next_month.rn - 1
)
select *
from v2
where d_year = ${YEAR}
  and avg_monthly_sales > 0
  and case when avg_monthly_sales > 0
           then abs(sum_sales - avg_monthly_sales) / avg_monthly_sales end > 0.1
order by sum_sales - avg_monthly_sales, ${ORDERBY}
limit 100
