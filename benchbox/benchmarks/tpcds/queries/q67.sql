-- TPC-DS Q67 (Appendix B.67): store sales in a twelve-month window rolled up over category, class,
-- brand, product, year, quarter, month and store; the top 100 rows of each category by sales.
-- @param DMS 1200 ~ uniform(1176, 1224)
with rolled_up as (
    select
        i_category,
        i_class,
        i_brand,
        i_product_name,
        d_year,
        d_qoy,
        d_moy,
        s_store_id,
        sum(coalesce(ss_sales_price * ss_quantity, 0)) as sumsales
    from store_sales, date_dim, store, item
    where ss_sold_date_sk = d_date_sk
      and ss_item_sk = i_item_sk
      and ss_store_sk = s_store_sk
      and d_month_seq between ${DMS} and ${DMS} + 11
    group by rollup (i_category, i_class, i_brand, i_product_name, d_year, d_qoy, d_moy, s_store_id)
),
ranked as (
    select
        i_category,
        i_class,
        i_brand,
        i_product_name,
        d_year,
        d_qoy,
        d_moy,
        s_store_id,
        sumsales,
        rank() over (partition by i_category order by sumsales desc) as rk
    from rolled_up
)
select *
from ranked
where rk <= 100
order by i_category, i_class, i_brand, i_product_name, d_year, d_qoy, d_moy, s_store_id, sumsales, rk
limit 100
