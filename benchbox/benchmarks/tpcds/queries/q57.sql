-- TPC-DS Q57 (Appendix B.57): catalog sales per item brand, category and call centre by month of a
-- year, where a month deviates more than 10% from the year's monthly average, with the previous
-- and next month's sales.
-- @param YEAR 1999 ~ uniform(1999, 2001)
-- @param SELECTONE 'v1.i_category, v1.i_brand, v1.cc_name' ~ choice(['v1.i_category', 'v1.i_brand', 'v1.i_category, v1.i_brand', 'v1.cc_name', 'v1.i_category, v1.i_brand, v1.cc_name'])
-- @param SELECTTWO ',v1.d_year, v1.d_moy' ~ choice([',v1.d_year', ',v1.d_year, v1.d_moy'])
-- @param ORDERBY 'v1.cc_name' ~ choice(['avg_monthly_sales', 'sum_sales', 'psum', 'nsum'])
with monthly as (
    select
        i_category,
        i_brand,
        cc_name,
        d_year,
        d_moy,
        sum(cs_sales_price) as sum_sales,
        avg(sum(cs_sales_price)) over (partition by i_category, i_brand, cc_name, d_year) as avg_monthly_sales,
        rank() over (partition by i_category, i_brand, cc_name order by d_year, d_moy) as month_rank
    from item, catalog_sales, date_dim, call_center
    where cs_item_sk = i_item_sk
      and cs_sold_date_sk = d_date_sk
      and cc_call_center_sk = cs_call_center_sk
      and (
          d_year = ${YEAR}
          or (d_year = ${YEAR} - 1 and d_moy = 12)
          or (d_year = ${YEAR} + 1 and d_moy = 1)
      )
    group by i_category, i_brand, cc_name, d_year, d_moy
),
with_neighbours as (
    select
        ${SELECTONE}
        ${SELECTTWO},
        v1.avg_monthly_sales,
        v1.sum_sales,
        prev.sum_sales as psum,
        nxt.sum_sales as nsum
    from monthly v1, monthly prev, monthly nxt
    where v1.i_category = prev.i_category
      and v1.i_category = nxt.i_category
      and v1.i_brand = prev.i_brand
      and v1.i_brand = nxt.i_brand
      and v1.cc_name = prev.cc_name
      and v1.cc_name = nxt.cc_name
      and v1.month_rank = prev.month_rank + 1
      and v1.month_rank = nxt.month_rank - 1
)
select *
from with_neighbours v1
where d_year = ${YEAR}
  and avg_monthly_sales > 0
  and case
        when avg_monthly_sales > 0 then abs(sum_sales - avg_monthly_sales) / avg_monthly_sales
    end > 0.1
order by sum_sales - avg_monthly_sales, ${ORDERBY}
limit 100
